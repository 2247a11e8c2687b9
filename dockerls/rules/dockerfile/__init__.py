"""Dockerfile rules: hadolint's DL codes where the meaning is the same, DF codes of our own.

DF0xx: the file cannot be read as a Dockerfile (parse problems).  DF1xx: best practices.
"""
