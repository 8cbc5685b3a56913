// NN builds on the differentiable ops and reads/writes state_dicts as safetensors; both are re-exported so
// that layer users see Variable, Tensor and SafeTensors.

@_exported import Autograd
@_exported import SafeTensors
