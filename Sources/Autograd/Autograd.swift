// Autograd module.
