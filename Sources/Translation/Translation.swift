// Translation module.
