package io.redraft.raft.log;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DataDirLockTest {
    @TempDir
    Path dir;

    @Test
    void secondLockInSameJvmFails() throws Exception {
        try (DataDirLock lock = DataDirLock.acquire(dir)) {
            IOException e = assertThrows(IOException.class, () -> DataDirLock.acquire(dir));
            assertTrue(e.getMessage().contains("is in use by another Redraft process"), e.getMessage());
            assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
        }
        DataDirLock.acquire(dir).close(); // released: free again
    }

    @Test
    void lockHeldByAnotherProcessFailsUntilItDies() throws Exception {
        Process child = ChildJvm.start(LockHolder.class, dir.toString());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            IOException e = assertThrows(IOException.class, () -> DataDirLock.acquire(dir));
            assertTrue(e.getMessage().contains("in use by another Redraft process"), e.getMessage());
        } finally {
            ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly);
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));
        }
        DataDirLock.acquire(dir).close(); // the OS released it with the process
    }

    /** Child process: takes the lock, says so, and holds it until killed. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            DataDirLock lock = DataDirLock.acquire(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            lock.close();
        }
    }
}
