output "notebook_id" {
  value = modelarts_notebook.quickstart.id
}

output "status" {
  value = modelarts_notebook.quickstart.status
}

output "url" {
  value = modelarts_notebook.quickstart.url
}
