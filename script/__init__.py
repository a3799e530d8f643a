"""Developer tools: `python -m script.<tool>` from the repository root.

Each tool is a package or module here, run by a thin entry point in scripts/.
Tools may import the product (custom_components, demo_tracker), never tests/.
"""
