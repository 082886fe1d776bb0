"""Knowledge-base adapters: loading guides and finding the passages a plan section needs."""
