"""Fidelity test: Huawei's official Python SDK (huaweicloudsdkmodelarts) drives modelarts-emulator unchanged.

Run with `.venv/bin/pytest python-tests`. The emulator binary comes from $MODELARTS_EMULATOR_BIN
(default target/debug/modelarts-emulator); its first stdout line is the base URL.
"""

import os
import subprocess
import time
from pathlib import Path

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkmodelarts.v1 import (
    AffinityRule,
    AffinityType,
    CreateNotebookRequest,
    DeleteNotebookRequest,
    ListFlavorsRequest,
    ListImageRequest,
    ListNotebooksRequest,
    ModelArtsClient,
    NotebookCreateRequest,
    NotebookUpdateRequest,
    RenewLeaseRequest,
    ShowImageRequest,
    ShowLeaseRequest,
    ShowNotebookRequest,
    ShowSwitchableFlavorsRequest,
    StartNotebookRequest,
    StopNotebookRequest,
    UpdateNotebookRequest,
    VolumeMountRequest,
)

AK = "MAEMULATORDEMOAK0001"
SK = "maEmulatorDemoSecretKey0000000000000001"
PROJECT = "0123456789abcdef0123456789abcdef"
IMAGE_NAME = "pytorch1.8-cuda10.2-cudnn7-ubuntu18.04"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def emulator_url():
    binary = os.environ.get("MODELARTS_EMULATOR_BIN", str(ROOT / "target" / "debug" / "modelarts-emulator"))
    if not Path(binary).exists():
        pytest.fail(f"emulator binary {binary} not found: run `cargo build` first or set MODELARTS_EMULATOR_BIN")
    proc = subprocess.Popen(
        [binary, "--transition-ms", "100"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), f"unexpected first line {url!r}"
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def make_client(url, sk=SK):
    creds = BasicCredentials(AK, sk, PROJECT)
    return ModelArtsClient.new_builder().with_credentials(creds).with_endpoints([url]).build()


@pytest.fixture(scope="module")
def client(emulator_url):
    return make_client(emulator_url)


def wait_status(client, nb_id, want, timeout=10.0):
    deadline = time.monotonic() + timeout
    status = None
    while time.monotonic() < deadline:
        status = client.show_notebook(ShowNotebookRequest(id=nb_id)).status
        if status == want:
            return
        time.sleep(0.05)
    pytest.fail(f"notebook {nb_id} stayed {status}, wanted {want}")


def image_id(client):
    resp = client.list_image(ListImageRequest(name=IMAGE_NAME, name_fuzzy_match=False))
    assert resp.total == 1
    return resp.data[0].id


def test_images_and_paging(client):
    first = client.list_image(ListImageRequest(limit=10, offset=0))
    assert first.total >= 25 and len(first.data) == 10 and first.size == 10
    assert first.pages == -(-first.total // 10) and first.current == 0
    second = client.list_image(ListImageRequest(limit=10, offset=10))
    assert second.current == 1
    assert not {i.id for i in first.data} & {i.id for i in second.data}
    one = client.show_image(ShowImageRequest(id=first.data[0].id))
    assert one.id == first.data[0].id and one.swr_path.startswith("swr.") and one.arch in ("X86_64", "AARCH64")
    with pytest.raises(exceptions.ClientRequestException) as e:
        client.show_image(ShowImageRequest(id="00000000-0000-4000-8000-000000000000"))
    assert e.value.status_code == 400 and e.value.error_code == "ModelArts.6797"


def test_flavors(client):
    resp = client.list_flavors(ListFlavorsRequest(category="GPU"))
    ids = [f.id for f in resp.data]
    assert "modelarts.vm.gpu.t4" in ids and all(f.category == "GPU" for f in resp.data)
    assert [f.id for f in resp.flavors] == ids
    assert any(f.sold_out for f in resp.data)


def test_full_lifecycle(client):
    img = image_id(client)
    body = NotebookCreateRequest(
        name="sdk-fidelity-1",
        description="created by the official SDK",
        flavor="modelarts.vm.cpu.2u",
        image_id=img,
        volume=VolumeMountRequest(category="EVS", ownership="MANAGED", capacity=5),
    )
    created = client.create_notebook(CreateNotebookRequest(body=body))
    assert created.status == "CREATING"
    nb_id = created.id
    assert created.volume.mount_path == "/home/ma-user/work/" and created.image.id == img
    wait_status(client, nb_id, "RUNNING")

    shown = client.show_notebook(ShowNotebookRequest(id=nb_id))
    assert shown.name == "sdk-fidelity-1" and shown.flavor == "modelarts.vm.cpu.2u"
    assert [p.status for p in shown.action_progress] == ["COMPLETED"] * 4
    assert client.show_lease(ShowLeaseRequest(id=nb_id)).enable is True
    renewed = client.renew_lease(RenewLeaseRequest(id=nb_id, duration=7_200_000))
    assert renewed.type == "TIMING"

    listed = client.list_notebooks(ListNotebooksRequest(name="sdk-fidelity", limit=10))
    assert listed.total == 1 and listed.data[0].id == nb_id

    # Update while RUNNING is refused under the default (strict) policy.
    with pytest.raises(exceptions.ClientRequestException) as e:
        client.update_notebook(UpdateNotebookRequest(id=nb_id, body=NotebookUpdateRequest(name="renamed")))
    assert e.value.status_code == 400 and e.value.error_code == "ModelArts.6347"

    stopped = client.stop_notebook(StopNotebookRequest(id=nb_id))
    assert stopped.status == "STOPPING"
    wait_status(client, nb_id, "STOPPED")

    switchable = client.show_switchable_flavors(ShowSwitchableFlavorsRequest(id=nb_id))
    targets = [f.id for f in switchable.flavors if not f.sold_out]
    assert "modelarts.vm.cpu.8u" in targets

    rule = AffinityRule(key="node.example/zone", operator="In", values=["zone-a"])
    upd = NotebookUpdateRequest(
        name="renamed",
        description="",
        flavor="modelarts.vm.cpu.8u",
        storage_new_size=10,
        affinity=AffinityType(required_during_scheduling_ignored_during_execution=[rule]),
    )
    updated = client.update_notebook(UpdateNotebookRequest(id=nb_id, body=upd))
    assert updated.name == "renamed" and updated.description == "" and updated.flavor == "modelarts.vm.cpu.8u"
    assert updated.volume.capacity == 10 and updated.status == "STOPPED"
    assert updated.affinity.required_during_scheduling_ignored_during_execution[0].values == ["zone-a"]

    with pytest.raises(exceptions.ClientRequestException) as e:
        client.update_notebook(UpdateNotebookRequest(id=nb_id, body=NotebookUpdateRequest(storage_new_size=6)))
    assert e.value.error_code == "ModelArts.6331"

    started = client.start_notebook(StartNotebookRequest(id=nb_id, duration=3_600_000, type="TIMING"))
    assert started.status == "STARTING"
    wait_status(client, nb_id, "RUNNING")
    with pytest.raises(exceptions.ClientRequestException) as e:
        client.start_notebook(StartNotebookRequest(id=nb_id))
    assert e.value.error_code == "ModelArts.6357"

    deleted = client.delete_notebook(DeleteNotebookRequest(id=nb_id))
    assert deleted.status == "DELETING"
    deadline = time.monotonic() + 10
    while True:
        try:
            client.show_notebook(ShowNotebookRequest(id=nb_id))
        except exceptions.ClientRequestException as gone:
            assert gone.status_code == 400 and gone.error_code == "ModelArts.6309"
            break
        assert time.monotonic() < deadline, "notebook never disappeared"
        time.sleep(0.05)


def test_list_defaults_to_the_default_workspace(client):
    workspace = "0123456789abcdef0123456789abcdef"
    body = NotebookCreateRequest(
        name="sdk-workspace",
        flavor="modelarts.vm.cpu.2u",
        image_id=image_id(client),
        volume=VolumeMountRequest(category="EVS", ownership="MANAGED", capacity=5),
        workspace_id=workspace,
    )
    nb_id = client.create_notebook(CreateNotebookRequest(body=body)).id
    try:
        # Without workspace_id the SDK sends none, and only workspace "0" is listed.
        unfiltered = client.list_notebooks(ListNotebooksRequest(name="sdk-workspace"))
        assert unfiltered.total == 0 and unfiltered.data == []
        default = client.list_notebooks(ListNotebooksRequest(name="sdk-workspace", workspace_id="0"))
        assert default.total == 0
        listed = client.list_notebooks(ListNotebooksRequest(name="sdk-workspace", workspace_id=workspace))
        assert listed.total == 1 and listed.data[0].id == nb_id and listed.data[0].workspace_id == workspace
    finally:
        wait_status(client, nb_id, "RUNNING")
        client.delete_notebook(DeleteNotebookRequest(id=nb_id))


def test_bad_secret_key_is_refused(emulator_url):
    bad = make_client(emulator_url, sk=SK[:-1] + "X")
    with pytest.raises(exceptions.ClientRequestException) as e:
        bad.list_notebooks(ListNotebooksRequest())
    assert e.value.status_code == 401 and e.value.error_code == "APIGW.0301"
    assert len(e.value.request_id) == 32
