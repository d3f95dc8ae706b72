# Every running notebook of the default workspace (all pages are read).
data "modelarts_notebooks" "running" {
  status       = "RUNNING"
  workspace_id = "0"
}

output "running_notebooks" {
  value = { for nb in data.modelarts_notebooks.running.notebooks : nb.id => nb.name }
}
