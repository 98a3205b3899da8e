#if canImport(Glibc)
import Glibc
#endif

/// Gives the heap's free pages back to the system.
///
/// glibc's malloc raises its mmap threshold each time a large block is freed, so after the
/// first chunk a worker's multi-MB frames come from the heap, and the heap keeps their pages
/// when they are freed (it only returns the free space at its top). A worker between chunks, or
/// a coordinator between jobs, would then hold the last chunk's frames' worth of memory it no
/// longer uses. `malloc_trim` hands back every whole free page, wherever it lies.
///
/// Swift's Glibc module leaves out <malloc.h>, so the function is looked up by name; on a libc
/// without it this does nothing.
public enum HeapTrim {
    private typealias Trim = @convention(c) (Int) -> Int32

    private static let trim: Trim? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
        #else
        return nil
        #endif
    }()

    public static func releaseFreePages() { _ = trim?(0) }
}
