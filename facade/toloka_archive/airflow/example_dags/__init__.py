"""Example DAGs of the Toloka provider; copy one into your DAGs folder and adapt it."""
