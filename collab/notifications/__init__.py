"""Notifications: who hears of which event (:mod:`.rules`), the in-app inbox and the e-mail
outbox (:mod:`.services`), sending (:mod:`.outbox`) and the pages (:mod:`.views`)."""
