package io.redraft.command;

import java.util.Comparator;

/**
 * Redis's pqsort: the Bentley-McIlroy quicksort (as in BSD qsort) that only recurses into the
 * partitions overlapping the wanted index range. GEO searches with COUNT use it, so equal
 * distances come out in the same (unstable) order as in Redis; a stable sort would pick other
 * members among ties.
 */
final class PartialSort {
    private PartialSort() {
    }

    /** Sorts a so that positions lo..hi (inclusive) hold what a full sort would put there. */
    static <T> void sort(T[] a, int lo, int hi, Comparator<? super T> cmp) {
        sort(a, 0, a.length, cmp, lo, hi);
    }

    private static <T> void sort(T[] a, int base, int n, Comparator<? super T> cmp, int lo, int hi) {
        while (true) {
            if (n < 7) {
                for (int m = base + 1; m < base + n; m++) {
                    for (int l = m; l > base && cmp.compare(a[l - 1], a[l]) > 0; l--) {
                        swap(a, l, l - 1);
                    }
                }
                return;
            }
            int pm = base + n / 2;
            if (n > 7) {
                int pl = base;
                int pn = base + n - 1;
                if (n > 40) {
                    int d = n / 8;
                    pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
                    pm = med3(a, pm - d, pm, pm + d, cmp);
                    pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
                }
                pm = med3(a, pl, pm, pn, cmp);
            }
            swap(a, base, pm);
            int pa = base + 1, pb = pa;
            int pc = base + n - 1, pd = pc;
            while (true) {
                int c;
                while (pb <= pc && (c = cmp.compare(a[pb], a[base])) <= 0) {
                    if (c == 0) {
                        swap(a, pa++, pb);
                    }
                    pb++;
                }
                while (pb <= pc && (c = cmp.compare(a[pc], a[base])) >= 0) {
                    if (c == 0) {
                        swap(a, pc, pd--);
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(a, pb++, pc--);
            }
            int pn = base + n;
            int r = Math.min(pa - base, pb - pa);
            vecswap(a, base, pb - r, r);
            r = Math.min(pd - pc, pn - pd - 1);
            vecswap(a, pb, pn - r, r);
            if ((r = pb - pa) > 1 && overlaps(base, base + r - 1, lo, hi)) {
                sort(a, base, r, cmp, lo, hi);
            }
            if ((r = pd - pc) > 1) {
                base = pn - r; // iterate rather than recurse, as the C does
                n = r;
                if (overlaps(base, base + r - 1, lo, hi)) {
                    continue;
                }
            }
            return;
        }
    }

    private static boolean overlaps(int from, int to, int lo, int hi) {
        return !((lo < from && hi < from) || (lo > to && hi > to));
    }

    private static <T> int med3(T[] a, int i, int j, int k, Comparator<? super T> cmp) {
        return cmp.compare(a[i], a[j]) < 0
                ? (cmp.compare(a[j], a[k]) < 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? k : i))
                : (cmp.compare(a[j], a[k]) > 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? i : k));
    }

    private static <T> void vecswap(T[] a, int i, int j, int n) {
        for (int k = 0; k < n; k++) {
            swap(a, i + k, j + k);
        }
    }

    private static <T> void swap(T[] a, int i, int j) {
        T t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
