from django.urls import path

from redressal.cti import views

app_name = "cti"
urlpatterns = [path("calls", views.calls, name="calls")]
