// Which kernels OpenBLAS runs. A DYNAMIC_ARCH OpenBLAS (Debian's) picks them once, as it loads, from the CPU's
// family and model; a CPU it does not know (a virtual machine that reports a generic "Intel Xeon Processor", a
// model newer than the library) gets the Prescott (SSE3) kernels, 3–7× slower than the AVX2 or AVX-512 ones the
// CPU runs (`translate bench convs`). The choice can only be changed before loading, with OPENBLAS_CORETYPE,
// so the command line restarts itself once with it set (Sources/translate/Translate.swift).

import CKernels

#if !canImport(Accelerate)
import CBLAS
#endif

public enum BLASKernels {
  /// The kernel set OpenBLAS is using ("Haswell", "SkylakeX", "Zen", "Prescott", …); "Accelerate" on macOS.
  public static var current: String {
    #if canImport(Accelerate)
    "Accelerate"
    #else
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
    #endif
  }

  /// The OPENBLAS_CORETYPE worth restarting with: when OpenBLAS fell back to generic SSE kernels (Prescott and
  /// older) on a CPU with AVX-512 (SkylakeX) or AVX2 + FMA (Haswell). Nil when OpenBLAS chose well, when the
  /// user chose already (OPENBLAS_CORETYPE set and not empty), or on macOS.
  public static func betterCoreType(environment: [String: String]) -> String? {
    #if canImport(Accelerate)
    return nil
    #else
    guard (environment["OPENBLAS_CORETYPE"] ?? "").isEmpty else { return nil }
    let generic: Set<String> = [
      "prescott", "core2", "penryn", "dunnington", "nehalem", "katmai", "coppermine",
      "northwood", "banias", "atom", "unknown", "opteron", "opteron_sse3", "barcelona",
    ]
    guard generic.contains(current.lowercased()) else { return nil }
    if ck_has_avx512_skylakex() != 0 { return "SkylakeX" }
    if ck_has_avx2_fma() != 0 { return "Haswell" }
    return nil
    #endif
  }
}
