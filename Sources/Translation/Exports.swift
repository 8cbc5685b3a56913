// Translation re-exports the engine so that a user of the library (and the CLI) imports one module.

@_exported import NN
