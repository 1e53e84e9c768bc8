"""Customer-service pages under /c/<code>/service/: one module per sub-domain."""
