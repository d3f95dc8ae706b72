# A CPU notebook with 50 GB of EVS storage, SSH access and a post-start script.
resource "modelarts_notebook" "example" {
  name        = "team-a-dev"
  description = "PyTorch development notebook"
  flavor      = "modelarts.vm.cpu.2u"
  # Look image ids up by name with the modelarts_notebook_images data source.
  image_id = "f3e33ba5-c084-49ca-81d0-eeb345a8a0a5"

  volume {
    category = "EVS"
    size     = 50 # GB; can grow in place later, never shrink
  }

  endpoint {
    service            = "SSH"
    key_pair_names     = ["team-a-keypair"]
    allowed_access_ips = ["203.0.113.10"]
  }

  hooks {
    post_start {
      script = "/home/ma-user/work/setup.sh"
      type   = "SCRIPT"
    }
  }

  # Keep the notebook running; a STOPPED notebook is never started by an update.
  desired_state = "RUNNING"
  # Updates that need a stopped notebook may stop and restart it.
  allow_stop_for_update = true

  timeouts {
    create = "30m"
    update = "30m"
    delete = "20m"
  }
}

# A notebook in a dedicated resource pool with a custom CPU/memory size instead of a flavor.
resource "modelarts_notebook" "custom" {
  name     = "team-a-custom"
  image_id = "f3e33ba5-c084-49ca-81d0-eeb345a8a0a5"
  pool_id  = "pool-cpu-7c2d9e41"

  custom_spec {
    cpu    = 4
    memory = 8192 # MiB
  }

  volume {
    category = "EVS"
    size     = 20
  }

  affinity {
    preferred {
      key      = "kubernetes.io/hostname"
      operator = "In"
      values   = ["node-1"]
      weight   = 50
    }
  }
}
