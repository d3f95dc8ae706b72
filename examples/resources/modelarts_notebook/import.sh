# A notebook is imported by its instance id (a UUID, as shown by the ModelArts console or API).
terraform import modelarts_notebook.example 6f1c3b8e-2d4a-4f7e-9b1c-0a2e4d6f8b10
