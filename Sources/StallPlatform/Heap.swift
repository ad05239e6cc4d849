import CStallSystem

/// The process's heap.
public enum Heap {
    /// Gives freed heap memory back to the kernel, so that RSS shows what is in use.
    public static func trim() { _ = stall_malloc_trim() }

    /// Caps glibc's malloc arenas. glibc gives each thread that contends an arena of its
    /// own (up to 8 per core), and freed memory stays in them: on a small box with a dozen
    /// threads that is megabytes of RSS for nothing. Two arenas measured 15 MB → 8 MB of
    /// heap at the peak of a 200,000-record drain (`stallbox-bench drain`).
    public static func limitArenas(_ count: Int32) { _ = stall_malloc_arena_max(count) }
}
