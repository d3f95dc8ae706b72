# One ModelArts notebook per team member. Every attribute change is applied in place (the notebooks are stopped
# and restarted where the API requires it); adding or removing a member creates or deletes only that notebook.

terraform {
  required_providers {
    modelarts = {
      source = "terraform.local/local/modelarts"
    }
  }
}

resource "modelarts_notebook" "member" {
  for_each = var.members

  name          = "${var.team}-${each.key}"
  description   = "Notebook of ${each.key}, team ${var.team}"
  flavor        = var.flavor
  image_id      = var.image_id
  desired_state = var.desired_state

  volume {
    category = "EVS"
    size     = var.storage_size
  }
}
