app_name = "subgroups"

urlpatterns: list = []
