"""votes"""
