// NN builds on the differentiable ops; re-exported so that layer users see Variable and Tensor.

@_exported import Autograd
