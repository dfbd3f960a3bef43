package dev.nines.demo;

/** Placeholder main job; replaced by the protected-call example once the breaker lands. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("nines demo");
    }
}
