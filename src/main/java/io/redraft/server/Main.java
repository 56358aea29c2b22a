package io.redraft.server; public class Main { public static void main(String[] a){} }
