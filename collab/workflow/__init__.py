"""State machines as plain data (no Flask imports): see :mod:`collab.workflow.base`."""
