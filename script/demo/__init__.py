"""`python -m script.demo`: a real Home Assistant with two demo accounts."""
