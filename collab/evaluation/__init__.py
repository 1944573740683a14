"""Program evaluation (Kirkpatrick L1–L4): reaction questionnaires with personal links, the
L2 summary, L3 follow-ups and L4 indicator measurements; the ``evaluation_recorded`` guard."""
