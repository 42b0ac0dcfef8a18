"""What the notebooks call and what turns them into pages: loading the stored tables and saving
report tables (``notebook``), tables for people (``present``), plots, evidence sentences, and the
runner that executes the notebooks and writes the HTML index from ``templates/``."""
