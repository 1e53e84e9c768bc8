"""Emergency plans (紧急应变, EMG-1, EMG-2): checklists per scenario, runs started by hand or by an
alarm, emergency and theft reports."""
