"""Rights Q&A: the labour-law knowledge base, its search, and what a member is told."""
