"""Exact and semantic response caching.

Configuration (global ``cache:``; the same keys under ``apps.<name>.cache`` override per app)::

    cache:
      enabled: true
      backend: memory            # or redis (shared by workers/hosts); redis_url defaults to the top-level one
      redis_url: redis://...
      max_entries: 10000         # in-process LRU bounds (entries and bytes)
      max_bytes: 67108864
      max_entry_bytes: 1048576   # larger answers are not cached
      ttl_s: {chat: 3600, embeddings: 604800, rag: 3600}
      allow_sampled: false       # cache temperature > 0 answers too (per app opt-in)
      cache_unset_temperature: true
      scope: app                 # or user: only the same end user gets the answer
      semantic:                  # opt-in per app (or for some routes only)
        enabled: false
        embedding_model: all-minilm-l6-v2
        threshold: 0.86
        guard: true              # the near-miss guard; see guard.py
        routes: null             # e.g. ["/v1/chat/completions"]
        max_chars: 1000          # longer last messages: exact cache only

Modules: ``stage`` (the pipeline stage), ``keys`` (normalised request -> key), ``backends`` (LRU, Redis),
``semantic`` (vector index: numpy in-process or Redis), ``guard`` (near-miss veto), ``entries`` (stored
answers, stream replay/assembly), ``warm`` (warming from JSONL), ``metrics`` (``aiw_cache_*``).
Operations: ``ai-workers cache clear|warm|stats`` and ``/admin/cache/*``.
"""
