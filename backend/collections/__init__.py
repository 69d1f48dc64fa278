"""Collections 催收: the queue of contracts in arrears, collectors' actions, a contract's
timeline."""
