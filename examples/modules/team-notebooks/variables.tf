variable "team" {
  description = "Team name; notebooks are named <team>-<member>."
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.team))
    error_message = "The team name must be 1 to 64 letters, digits, - or _."
  }
}

variable "members" {
  description = <<-EOT
    One notebook per member: member name => settings, each optional: flavor, storage_size (GB) and
    desired_state (RUNNING or STOPPED). Omitted settings use the team defaults.
  EOT
  # map(map(string)) rather than optional object attributes, which Terraform 1.0 only has as an experiment.
  type = map(map(string))
  validation {
    condition = alltrue([
      for m in values(var.members) : length(setsubtract(keys(m), ["flavor", "storage_size", "desired_state"])) == 0
    ])
    error_message = "Member settings are flavor, storage_size and desired_state."
  }
}

variable "image_id" {
  description = "Image every notebook runs."
  type        = string
}

variable "default_flavor" {
  description = "Flavor of members that do not choose one."
  type        = string
  default     = "modelarts.vm.cpu.2u"
}

variable "default_storage_size" {
  description = "EVS storage in GB of members that do not choose a size."
  type        = number
  default     = 5
}
