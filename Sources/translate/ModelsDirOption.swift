// `--models-dir DIR`, shared by the commands that look models up: the front of the search path
// (Translation/Inference/ModelSearchPath.swift), built from this process's environment and executable.

import ArgumentParser
import Foundation
import Translation

struct ModelsDirOption: ParsableArguments {
  @Option(
    help: """
      Folder searched first for models; then $TRANSLATE_MODELS (colon-separated), ./models, \
      $XDG_DATA_HOME/translate/models (~/.local/share/translate/models), <prefix>/share/translate/models.
      """)
  var modelsDir: String?

  /// The search path of this run.
  var searchPath: ModelSearchPath {
    ModelSearchPath.standard(
      modelsDir: modelsDir, environment: ProcessInfo.processInfo.environment,
      executablePath: Bundle.main.executablePath)
  }
}
