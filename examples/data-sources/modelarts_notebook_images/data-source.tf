# The built-in PyTorch 1.8 CPU image, picked by name rather than by pasting its id.
data "modelarts_notebook_images" "pytorch" {
  name     = "pytorch1.8-cpu-ubuntu18.04"
  type     = "BUILD_IN"
  cpu_arch = "x86_64"
}

resource "modelarts_notebook" "dev" {
  name     = "pytorch-dev"
  flavor   = "modelarts.vm.cpu.2u"
  image_id = data.modelarts_notebook_images.pytorch.images[0].id

  volume {
    category = "EVS"
    size     = 5
  }
}
