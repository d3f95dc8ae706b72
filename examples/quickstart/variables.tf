# The defaults point at a local modelarts-emulator with its built-in demo credentials. For the real cloud, set
# endpoint = "" (the provider then builds https://modelarts.<region>.myhuaweicloud.com) and pass real values,
# e.g. through TF_VAR_access_key / TF_VAR_secret_key, or leave them empty and use the HW_* variables.

variable "endpoint" {
  description = "Base URL of the ModelArts API; empty for the real cloud's default endpoint."
  type        = string
  default     = "http://127.0.0.1:8080"
}

variable "region" {
  description = "Region name (any name works against the emulator)."
  type        = string
  default     = "cn-north-4"
}

variable "project_id" {
  description = "IAM project id; the default is the emulator's demo project."
  type        = string
  default     = "0123456789abcdef0123456789abcdef"
}

variable "access_key" {
  description = "Access key; the default is the emulator's demo key."
  type        = string
  default     = "MAEMULATORDEMOAK0001"
}

variable "secret_key" {
  description = "Secret key; the default is the emulator's demo secret."
  type        = string
  default     = "maEmulatorDemoSecretKey0000000000000001"
  sensitive   = true
}

variable "notebook_name" {
  description = "Name of the notebook."
  type        = string
  default     = "quickstart"
}

variable "storage_size" {
  description = "EVS storage in GB (5 to 4096); it can grow in place but never shrink."
  type        = number
  default     = 5
}

variable "flavor" {
  description = "Machine flavor."
  type        = string
  default     = "modelarts.vm.cpu.2u"
}

variable "image_id" {
  description = "Image id; the default is the emulator's pytorch1.8-cpu-ubuntu18.04 image."
  type        = string
  default     = "f3e33ba5-c084-49ca-81d0-eeb345a8a0a5"
}
