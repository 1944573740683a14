"""Programs: BKN designs competency-development programs from needs; both sides sign off."""
