"""The mediation room (红色调解室): cases, their sessions, agreement, follow-up and outcome; public
counts of cases settled. Types (types.py), inputs and payloads (inputs.py), root fields (root.py)."""
