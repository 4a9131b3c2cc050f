"""Batch jobs: OpenAI's Batch API over a durable queue in the gateway's own database.

``store`` keeps files, batches and lines; ``worker`` claims lines and runs each through the gateway
pipeline as the submitting app (the line runner itself comes from the server, which owns request
decoding); ``objects`` renders OpenAI's batch and file objects and the output lines.
"""
