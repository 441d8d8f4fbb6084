"""greetings"""
