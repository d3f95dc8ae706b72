output "notebooks" {
  description = "Member name => notebook id, status and URL."
  value = {
    for member, nb in modelarts_notebook.member : member => {
      id     = nb.id
      status = nb.status
      url    = nb.url
    }
  }
}
