// Placeholder: this target's first types land in their own files.
