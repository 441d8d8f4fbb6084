"""openboard"""
