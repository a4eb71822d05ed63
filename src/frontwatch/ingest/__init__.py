"""Reading reports: files, folders, URLs, feeds and Telegram exports into clean Documents."""
