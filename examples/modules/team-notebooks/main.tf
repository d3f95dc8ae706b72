# One notebook per team member. Members can be added and removed freely: for_each keys notebooks by member
# name, so changing one member's settings updates only that notebook, in place.
resource "modelarts_notebook" "member" {
  for_each = var.members

  name          = "${var.team}-${each.key}"
  description   = "Notebook of ${each.key} (team ${var.team})"
  flavor        = lookup(each.value, "flavor", var.default_flavor)
  image_id      = var.image_id
  desired_state = lookup(each.value, "desired_state", "RUNNING")

  volume {
    category = "EVS"
    size     = tonumber(lookup(each.value, "storage_size", var.default_storage_size))
  }
}
