"""Attachments (lampiran) on needs, programs and comments: upload, list, download, delete."""
