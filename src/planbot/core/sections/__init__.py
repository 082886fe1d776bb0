"""One small pure module per plan section or part of one: functions of the brief, the resolved
playbook and the computed numbers, composed by core/builder.py."""
