"""suggestions"""
