variable "team" {
  description = "Team name, the prefix of every notebook name (letters, digits, - and _)."
  type        = string
}

variable "members" {
  description = "Member names; each gets a notebook named <team>-<member>."
  type        = set(string)
}

variable "image_id" {
  description = "Image UUID shared by the team."
  type        = string
}

variable "flavor" {
  description = "Machine flavor of every notebook."
  type        = string
  default     = "modelarts.vm.cpu.2u"
}

variable "storage_size" {
  description = "EVS storage per notebook in GB; it can only grow."
  type        = number
  default     = 5
}

variable "desired_state" {
  description = "RUNNING or STOPPED."
  type        = string
  default     = "RUNNING"
}
