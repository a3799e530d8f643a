"""`python -m script.bench`: measure, judge and report what the integration costs."""
