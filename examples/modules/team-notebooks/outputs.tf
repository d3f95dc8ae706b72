output "notebook_ids" {
  description = "Notebook id per member."
  value       = { for member, nb in modelarts_notebook.member : member => nb.id }
}

output "urls" {
  description = "Notebook URL per member."
  value       = { for member, nb in modelarts_notebook.member : member => nb.url }
}
