"""Qt pieces every room shares: the job runner, table models by named columns, the progress panel, the stall meter."""
