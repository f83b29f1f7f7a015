"""chipkg: a knowledge graph of AI-chip news with sentence-level evidence."""
