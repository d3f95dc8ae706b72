# One notebook, by id ...
data "modelarts_notebook" "by_id" {
  id = "6f1c3b8e-2d4a-4f7e-9b1c-0a2e4d6f8b10"
}

# ... or by name (an error if no notebook or several notebooks have this name).
data "modelarts_notebook" "by_name" {
  name = "team-a-dev"
}

output "notebook_url" {
  value = data.modelarts_notebook.by_name.url
}
